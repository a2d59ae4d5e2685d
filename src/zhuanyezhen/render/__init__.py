"""What people and systems read: the versioned JSON output model and its schemas, and the table,
Markdown, explanation, HTML report and profile-template renderers. A renderer reads a ``Result``;
it never computes an amount.

May import: ``engine``, ``policy``, ``profile``, ``files``, ``money``, ``errors``, ``trusted``.
"""
