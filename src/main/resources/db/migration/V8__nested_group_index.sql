-- The recursive walks over nesting (up: a user's groups, a group's ancestors; down: the groups inside a group, for
-- cycle checks and the users under a role-granting group) follow member_type = 'Group' rows only. With no index
-- restricted to those rows, a generic plan may scan every membership row in each recursion step: seen on the benchmark
-- after a few million member changes, where reading a new user back (no groups at all) took 100 ms scanning 1.8 M rows,
-- and walking down from a 100k-member group reads its 100k user rows to find its few subgroups. Nested-group rows are
-- few, so both indexes stay small and make each step an index probe whatever the statistics say.
CREATE INDEX group_members_nested_up ON group_members (member_id, group_id) WHERE member_type = 'Group';
CREATE INDEX group_members_nested_down ON group_members (group_id, member_id) WHERE member_type = 'Group';
