// As dedupe-online-apply-restore, plus a trigger that fails the delete of row 7 the first time only (a sequence is
// not rolled back), so the first online apply stops after its first batches committed.
import io.github.migrationsafety.testsupport.OnlineIt

OnlineIt.setUp(basedir, true)
true
