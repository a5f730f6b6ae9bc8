ALTER TABLE site_month_rollups RESET (fillfactor);
ALTER TABLE site_month_category_rollups RESET (fillfactor);
ALTER TABLE site_month_surveys RESET (fillfactor);
