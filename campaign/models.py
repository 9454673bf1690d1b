"""Imports every model so the metadata (and Alembic's autogenerate) sees all tables."""
from .affected.models import AffectedReport, AffectedTally  # noqa: F401
from .audit import AuditEvent  # noqa: F401
from .auth.models import ApiToken, AsnProfile, User  # noqa: F401
from .needs.models import BuyerOrganisation, InstitutionalTally, Need, Offer  # noqa: F401
from .notifications.models import Notification  # noqa: F401
from .purchases.models import Pledge, Purchase  # noqa: F401
from .regions.models import Agency, Campaign, District, Region, RegionTarget  # noqa: F401
from .roster.models import RosterEntry, RosterImport  # noqa: F401
from .shops.models import Shop  # noqa: F401
from .training.models import Training, TrainingSeat  # noqa: F401
from .tallies import Tally, TallyMember, TallyWeek, TallyWeekMember  # noqa: F401
from .markers import ChangeMarker  # noqa: F401
from .trust.models import ActivityWindow, BulkVoid, FlagReview, SignupSource  # noqa: F401
