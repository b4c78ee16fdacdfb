-- Which process began fanning a broadcast out, and when. That process retries a fan-out that failed half-way at
-- once; another process resumes it only after a lease (the first one died between its two steps), never one still
-- in progress.
ALTER TABLE broadcasts ADD COLUMN fan_out_started_at timestamptz;
ALTER TABLE broadcasts ADD COLUMN fan_out_by text;
