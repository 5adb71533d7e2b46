-- The bigram index of 0006, fed by the gl_bigrams() SQL function every connection registers
-- (db/open.ts) instead of a json_each expression: the same tokens, at a twentieth of the cost per
-- write, which is what a first pull of a branch's 50k enterprise files pays 50k times.
DROP TRIGGER enterprises_grams_insert;
DROP TRIGGER enterprises_grams_update;
CREATE TRIGGER enterprises_grams_insert AFTER INSERT ON enterprises BEGIN
  INSERT INTO enterprises_grams (rowid, name_grams, initials_grams) VALUES (NEW.rowid, gl_bigrams(NEW.name), gl_bigrams(NEW.name_initials));
END;
CREATE TRIGGER enterprises_grams_update AFTER UPDATE OF name, name_initials ON enterprises BEGIN
  DELETE FROM enterprises_grams WHERE rowid = OLD.rowid;
  INSERT INTO enterprises_grams (rowid, name_grams, initials_grams) VALUES (NEW.rowid, gl_bigrams(NEW.name), gl_bigrams(NEW.name_initials));
END;
