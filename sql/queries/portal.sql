-- The portal's shared state: its CSRF key and its rate-limit counters (licensed/portal.py).

-- The first process to start creates the key; every other one finds it.
-- name: insert_daemon_key :exec
INSERT INTO daemon_keys (name, value, created_at) VALUES (:name, :value, :now)
ON CONFLICT (name) DO NOTHING;

-- name: daemon_key :scalar
SELECT value FROM daemon_keys WHERE name = :name;

-- Count one hit in (bucket, key)'s window and return the hits in it, this one included. A
-- window starts at its first hit and lasts until :window_from passes it; one statement, so two
-- processes counting the same key at once both count (the row lock orders them).
-- name: count_rate_hit :scalar
INSERT INTO rate_limits (bucket, key, window_start, hits) VALUES (:bucket, :key, :now, 1)
ON CONFLICT (bucket, key) DO UPDATE SET
    hits = CASE WHEN rate_limits.window_start <= :window_from THEN 1
                ELSE rate_limits.hits + 1 END,
    window_start = CASE WHEN rate_limits.window_start <= :window_from THEN :now
                        ELSE rate_limits.window_start END
RETURNING hits;

-- Windows that ended: their rows count nothing any more.
-- name: prune_rate_limits :exec
DELETE FROM rate_limits WHERE window_start <= :before;
