"""Read-only views of campaigns that every page and the API show."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from campaign.domains.regions.models import Campaign


@dataclass(frozen=True)
class CampaignInfo:
    id: int
    name: str
    appeal_letter_number: str
    appeal_letter_date: date
    starts_on: date
    ends_on: date | None

    @classmethod
    def of(cls, campaign: Campaign) -> CampaignInfo:
        return cls(campaign.id, campaign.name, campaign.appeal_letter_number, campaign.appeal_letter_date,
                   campaign.starts_on, campaign.ends_on)
