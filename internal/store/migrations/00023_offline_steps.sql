-- +goose Up
-- Offline changes answered the same when sent again: a refused change
-- keeps why (the message ID) so that a device sending it again is told
-- the same reason.
ALTER TABLE offline_changes ADD COLUMN message_id TEXT NOT NULL DEFAULT '';

-- Overdue care-plan steps: the due date a step's owner and case manager
-- were last told about. A step is reminded once per due date: not again
-- on the next run, again only when its due date changes and passes.
ALTER TABLE plan_steps ADD COLUMN overdue_notified_for TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE plan_steps DROP COLUMN overdue_notified_for;
ALTER TABLE offline_changes DROP COLUMN message_id;
