-- Full-text ranking reads the tsvectors of every matching chunk for every question. Kept inline and
-- uncompressed they are read as they are; the long texts (body, folded), needed only for the chunks finally
-- returned, move out of line instead. Measured on PGlite with 51 lessons: hybrid_search 4.2 -> 3.5 ms.
-- A chunk row must then fit in a page (8 kB): chunks are a lesson's parts, a few hundred words at most.
ALTER TABLE lesson_chunks
  ALTER COLUMN tsv SET STORAGE PLAIN,
  ALTER COLUMN tsv_exact SET STORAGE PLAIN,
  ALTER COLUMN body SET STORAGE EXTERNAL,
  ALTER COLUMN folded SET STORAGE EXTERNAL;
-- Rows already there take the new storage when rewritten.
UPDATE lesson_chunks SET ord = ord;
