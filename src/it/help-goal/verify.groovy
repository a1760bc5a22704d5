// `mvn migration-safety:help -Ddetail` lists every goal with its parameters and user properties
def log = new File(basedir, 'build.log').text
assert log =~ /\[INFO\] Migration Safety Maven Plugin \S+/
assert log =~ /This plugin has \d+ goals:/
assert log =~ /(?m)^migration-safety:connect$/
assert log.contains('Checks that the database connection settings work before anything else runs')
assert log =~ /(?m)^    url$/
assert log.contains('User property: migration-safety.url')
assert log =~ /(?m)^\s+skipConnect \(Default: false\)$/
assert log.contains('User property: migration-safety.connect.skip')
assert log =~ /(?m)^migration-safety:help$/
assert log.contains('[INFO] BUILD SUCCESS')
