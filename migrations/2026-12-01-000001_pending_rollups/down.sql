DROP TABLE pending_rollups;
