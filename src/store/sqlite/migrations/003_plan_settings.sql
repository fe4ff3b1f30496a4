-- keukentafel schema, version 3: the household's wishes for its fridge plan.
-- Whether the plan shows "Wat gaat al goed" (ZRM domains scored 4 or 5, in the client's
-- wording). Off until the household asks for it.
ALTER TABLE household ADD COLUMN plan_show_strengths INTEGER NOT NULL DEFAULT 0
    CHECK (plan_show_strengths IN (0, 1));
