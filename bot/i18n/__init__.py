"""Languages: gettext catalogues loaded with Babel, locale-aware formatting and language detection."""
