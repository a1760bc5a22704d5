def log = new File(basedir, 'build.log').getText('UTF-8')

assert log =~ /\[INFO\] Deploy gate open: the smoke report passed for this changelog \(fingerprint [0-9a-f]{64}\)/
assert log.contains('[INFO] BUILD SUCCESS')
assert log.indexOf('Deploy gate open') < log.indexOf('Uploading to it-releases')
assert new File(basedir, 'target/remote-repo/it/gate-release-passes/1.0/gate-release-passes-1.0.pom').isFile() : 'the artifact arrived'
