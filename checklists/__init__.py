"""Rule packs shipped with siteaudit (YAML files; this module only makes them installable)."""
