-- When a process began fanning a broadcast out. Another process resumes a fan-out left 'fanning_out' only after
-- a lease (the first one died between its two steps), never one still in progress.
ALTER TABLE broadcasts ADD COLUMN fan_out_started_at timestamptz;
