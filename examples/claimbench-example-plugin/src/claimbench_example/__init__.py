"""An example claimbench plugin package (see README, "Writing a plugin")."""
