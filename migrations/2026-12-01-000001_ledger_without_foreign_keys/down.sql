ALTER TABLE client_ids ADD FOREIGN KEY (team_id) REFERENCES teams (id);
ALTER TABLE client_ids ADD FOREIGN KEY (city_id) REFERENCES cities (id);
