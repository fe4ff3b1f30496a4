-- keukentafel schema on PostgreSQL: the finder's word indexes also hold each household's team,
-- as one more word `~t<team id>` (no typed word can match it: typed words are letters and
-- digits), as SQLite's index holds its team word. A professional's search then asks for its
-- words and the team's word together, and the index hands back that team's households only,
-- instead of every household with the word for a check of each one's team: with teams of a
-- few hundred households among 100,000 that check took 10-16 ms a keystroke.
DROP INDEX household_search_label;
DROP INDEX household_search_all;
CREATE INDEX household_search_label ON household_search
    USING GIN ((label_words || array_to_tsvector(ARRAY['~t' || team_id::text])));
CREATE INDEX household_search_all ON household_search
    USING GIN ((all_words || array_to_tsvector(ARRAY['~t' || team_id::text])));
