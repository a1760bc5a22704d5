import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

assert log.contains('[INFO] BUILD SUCCESS')
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'passed'
assert json.summary.changelogFiles == ['db/changelog/changes/001-features.sql', 'db/changelog/changes/002-more.yaml', 'db/changelog/db.changelog-master.xml']
assert json.summary.changesets*.changeset == ['db/changelog/db.changelog-master.xml::create-models::alice',
    'db/changelog/changes/001-features.sql::features::bob', 'db/changelog/changes/001-features.sql::features-index::bob',
    'db/changelog/changes/002-more.yaml::add-column::carol']
assert json.checks.find { it.group == 'rollback.h2' }.name == 'all 4 changesets'
