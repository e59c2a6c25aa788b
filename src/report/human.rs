//! The human-readable report (written by the CLI stage).
