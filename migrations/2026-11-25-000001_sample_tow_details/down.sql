ALTER TABLE samples DROP COLUMN rotor_m_per_count, DROP COLUMN tow_duration_min;
