"""The tax-benefit system: entities, the parameters in ``parameters/`` and the variables in ``variables/``."""

from pathlib import Path

from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from openfisca_peer.entities import entities

HERE = Path(__file__).resolve().parent


class YangquanTowns(TaxBenefitSystem):
    """阳政办发〔2023〕25号《阳泉市支持专业镇高质量发展的若干政策》, its monetary provisions."""

    def __init__(self) -> None:
        super().__init__(entities)
        self.load_parameters(str(HERE / "parameters"))
        self.add_variables_from_directory(str(HERE / "variables"))

    def get_package_metadata(self) -> dict[str, str]:
        # Not an installed distribution: say so here rather than let OpenFisca warn once per variable file.
        return {"name": "openfisca_peer", "version": "0.0.0", "repository_url": "", "location": str(HERE.parent)}
