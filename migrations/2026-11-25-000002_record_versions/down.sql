DROP TABLE record_versions;
