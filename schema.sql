-- EmoteLab session store schema. This file is the single source of the schema; SessionStore applies it
-- through named, ordered migrations.
--
-- Each section below starts with a `-- migration: NAME` line and runs once, in file order, inside one
-- transaction (GRDB's DatabaseMigrator records applied names in its `grdb_migrations` table). Never edit
-- a migration that has shipped: append a new section instead. After editing this file run
-- `scripts/embed-schema.sh` (the SessionStore tests fail until the embedded copy matches byte for byte).
--
-- Conventions: times are seconds from the start of the video (REAL); timestamps of events are UTC text
-- 'YYYY-MM-DD HH:MM:SS.SSS'; probabilities are in [0, 1]; box coordinates are source-video pixels.

-- migration: v1-initial

-- One recorded session: a video file, identified by the hash of its content.
CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    file_path     TEXT NOT NULL,              -- where the file was when it was last analysed
    content_hash  TEXT NOT NULL UNIQUE,       -- hex digest of the file's bytes (the session's identity)
    duration_s    REAL CHECK (duration_s IS NULL OR duration_s >= 0),
    frame_width   INTEGER CHECK (frame_width IS NULL OR frame_width > 0),
    frame_height  INTEGER CHECK (frame_height IS NULL OR frame_height > 0),
    recorded_fps  REAL CHECK (recorded_fps IS NULL OR recorded_fps > 0),
    created_at    TEXT NOT NULL
);

-- One analysis of a session with given settings. Only runs with status 'complete' are ever reported;
-- 'running' is also what a killed process leaves behind.
CREATE TABLE runs (
    id                 INTEGER PRIMARY KEY,
    session_id         INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    model_name         TEXT NOT NULL,
    model_hash         TEXT NOT NULL,
    sample_rate_hz     REAL NOT NULL CHECK (sample_rate_hz > 0),   -- samples per second of video
    detector           TEXT NOT NULL,
    detector_params    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detector_params)),  -- JSON, sorted keys
    status             TEXT NOT NULL DEFAULT 'running'
                       CHECK (status IN ('running', 'complete', 'failed', 'interrupted')),
    message            TEXT,                  -- why a run failed or was interrupted
    participant_track  INTEGER,               -- track id of the participant's face, once known
    started_at         TEXT NOT NULL,
    finished_at        TEXT,                  -- set when the run leaves 'running'
    CHECK ((status = 'running') = (finished_at IS NULL))
);
CREATE INDEX runs_by_session ON runs(session_id, status, finished_at);

-- Task segments of a session (from a tasks file), in the order the file gave them.
CREATE TABLE tasks (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,             -- 0-based order in the tasks file
    name        TEXT NOT NULL,
    start_s     REAL NOT NULL CHECK (start_s >= 0),
    end_s       REAL NOT NULL CHECK (end_s > start_s),
    UNIQUE (session_id, position),
    UNIQUE (session_id, name)
);

-- One row per face found at a sampled timestamp, or one row with face = 0 when no face was found.
-- The participant's face is the row with is_participant = 1 (at most one per timestamp).
CREATE TABLE samples (
    id              INTEGER PRIMARY KEY,
    run_id          INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    time_s          REAL NOT NULL CHECK (time_s >= 0),
    face            INTEGER NOT NULL CHECK (face IN (0, 1)),
    track_id        INTEGER,
    is_participant  INTEGER NOT NULL DEFAULT 0 CHECK (is_participant IN (0, 1) AND is_participant <= face),
    box_x           REAL,
    box_y           REAL,
    box_w           REAL CHECK (box_w IS NULL OR box_w > 0),
    box_h           REAL CHECK (box_h IS NULL OR box_h > 0),
    confidence      REAL,                     -- detector confidence (detector-specific scale)
    angry           REAL CHECK (angry    BETWEEN 0 AND 1),
    disgust         REAL CHECK (disgust  BETWEEN 0 AND 1),
    fear            REAL CHECK (fear     BETWEEN 0 AND 1),
    happy           REAL CHECK (happy    BETWEEN 0 AND 1),
    neutral         REAL CHECK (neutral  BETWEEN 0 AND 1),
    sad             REAL CHECK (sad      BETWEEN 0 AND 1),
    surprise        REAL CHECK (surprise BETWEEN 0 AND 1),
    dominant        TEXT CHECK (dominant IN ('angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprise')),
    valence         REAL CHECK (valence BETWEEN -1 AND 1),  -- happy - max(angry, disgust, fear, sad)
    CHECK (face = 1 OR (box_x IS NULL AND angry IS NULL AND track_id IS NULL))
);
-- The timeline query: every timestamp of a run in time order, and the participant's row at each.
CREATE INDEX samples_timeline ON samples(run_id, time_s);
CREATE UNIQUE INDEX samples_participant ON samples(run_id, time_s) WHERE is_participant = 1;

-- migration: v2-markers
-- Tasks files as researchers write them: a task name may repeat (a second attempt; each occurrence is its
-- own segment), a row may be a point event ("clicked Buy": kind 'event', end_s = start_s), and extra
-- columns of the file are kept as notes. The table is rebuilt to drop UNIQUE (session_id, name); every
-- row is copied with its id.
CREATE TABLE tasks_v2 (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,             -- 0-based order in the tasks file
    name        TEXT NOT NULL,
    start_s     REAL NOT NULL CHECK (start_s >= 0),
    end_s       REAL NOT NULL,
    kind        TEXT NOT NULL DEFAULT 'task' CHECK (kind IN ('task', 'event')),
    notes       TEXT,                         -- the file's extra columns, 'column: value; ...'
    CHECK ((kind = 'task' AND end_s > start_s) OR (kind = 'event' AND end_s = start_s)),
    UNIQUE (session_id, position)
);
INSERT INTO tasks_v2 (id, session_id, position, name, start_s, end_s)
    SELECT id, session_id, position, name, start_s, end_s FROM tasks;
DROP TABLE tasks;
ALTER TABLE tasks_v2 RENAME TO tasks;

-- migration: v3-session-labels
-- The participant label a researcher gave a session (`sessions label ID P07`); NULL means the default
-- (the folder name when file names repeat across sessions, one folder per participant, else the file stem).
ALTER TABLE sessions ADD COLUMN label TEXT;
CREATE UNIQUE INDEX sessions_by_label ON sessions(label) WHERE label IS NOT NULL;
