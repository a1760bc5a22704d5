// 1: the apply with its defaults deletes the exact duplicates and does not search near duplicates (its lock blocks
//    writers; the dry-run reports them); 2: asked for, the search runs after the apply, here one with nothing to delete
def log = new File(basedir, 'build.log').text
def notSearched = '[INFO] dedupe: apply does not search near duplicates (keys differing only by case or surrounding whitespace); the dry-run reports them. Set nearDuplicates=true to search after the apply.'
def deleted = log.indexOf('[INFO] dedupe: deleted 3 rows of 2 duplicate groups from PUBLIC.MODEL_METADATA; backup: ')
def nothingLeft = log.indexOf('[INFO] dedupe: no duplicates in PUBLIC.MODEL_METADATA(NAME, VERSION); nothing to delete, no backup written')
def near = log.findAll(/(?m)^\[WARNING\] .*\[dedupe\.near-duplicate\].*$/)
assert log.count(notSearched) == 1 : 'only the apply without nearDuplicates says it did not search'
assert log.indexOf(notSearched) < deleted
assert deleted >= 0 && nothingLeft > deleted : 'the first apply deleted the duplicates, the second found none'
assert near.size() == 1 : "one near-duplicate warning, from the second apply: ${near}"
assert log.indexOf(near[0]) > nothingLeft
assert near[0].contains("2 key values differ only by case or surrounding whitespace, e.g. ('Churn ', '1.0') and ('churn', '1.0')") : near[0]
assert log.count('[INFO] BUILD SUCCESS') == 2
def rows = io.github.migrationsafety.testsupport.ItFixture.rows(basedir)
assert rows.size() == 4 : "the kept rows and the near duplicate stay: ${rows}"
