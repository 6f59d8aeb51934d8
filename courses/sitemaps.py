"""Offering pages in sitemap.xml, beside Wagtail's pages."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from . import selectors
from .models import Offering


class OfferingSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Offering]:
        return selectors.offerings_upcoming()

    def location(self, item: Offering) -> str:
        return reverse("offering_detail", args=[item.pk])
