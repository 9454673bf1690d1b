"""Imports every model so the metadata (and Alembic's autogenerate) sees all tables."""
from campaign.core.audit import AuditEvent  # noqa: F401
from campaign.domains.affected.models import AffectedReport, AffectedTally  # noqa: F401
from campaign.domains.auth.models import ApiToken, AsnProfile, User  # noqa: F401
from campaign.domains.needs.models import BuyerOrganisation, InstitutionalTally, Need, Offer  # noqa: F401
from campaign.domains.notifications.models import Notification  # noqa: F401
from campaign.domains.purchases.models import Pledge, Purchase  # noqa: F401
from campaign.domains.regions.models import Agency, Campaign, District, Region, RegionTarget  # noqa: F401
from campaign.domains.roster.models import RosterEntry, RosterImport  # noqa: F401
from campaign.domains.shops.models import Shop  # noqa: F401
from campaign.domains.tallies.models import Tally, TallyMember, TallyWeek, TallyWeekMember  # noqa: F401
from campaign.domains.training.models import Training, TrainingSeat  # noqa: F401
from campaign.domains.trust.models import ActivityWindow, BulkVoid, FlagReview, SignupSource  # noqa: F401
from campaign.web.markers import ChangeMarker  # noqa: F401
