def log = new File(basedir, 'build.log').text
assert log.contains('[INFO] No duplicates in PUBLIC.MODEL_METADATA(NAME, VERSION).')
assert log.contains('[INFO] BUILD SUCCESS')
assert new File(basedir, 'target/migration-safety/dedupe-report.csv').text == '"group","NAME","VERSION","ID","action","CREATED_AT","PAYLOAD"\n'
def json = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/migration-safety/dedupe-report.json'))
assert json.status == 'passed'
assert json.summary.groups == 0
