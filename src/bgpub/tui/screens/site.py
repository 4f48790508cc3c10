"""Site-wide settings: the dialog is in screens/site_settings.py (title, description, language, base
URL, custom domain, share image, icon/logo, footer note, analytics), the theme picker in
screens/theme.py; imports of either from here keep working."""

from __future__ import annotations

from bgpub.tui.screens.site_settings import SiteFormLoaded, SiteSettingsModal
from bgpub.tui.screens.theme import ThemeModal

__all__ = ["SiteFormLoaded", "SiteSettingsModal", "ThemeModal"]
