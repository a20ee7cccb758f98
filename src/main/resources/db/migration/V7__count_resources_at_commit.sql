-- The resource counters (V3) are updated at commit rather than at insert: a counter row stays locked until its
-- transaction ends, and a user create now runs more statements after its insert (its role bindings), so 16 parallel
-- creates on 16 randomly picked counter rows kept queueing behind each other's whole transactions. Counted at commit,
-- a counter row is held only while that transaction commits.
DROP TRIGGER users_count ON users;
DROP TRIGGER groups_count ON groups;
CREATE CONSTRAINT TRIGGER users_count AFTER INSERT OR DELETE ON users
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION count_resources();
CREATE CONSTRAINT TRIGGER groups_count AFTER INSERT OR DELETE ON groups
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION count_resources();
