def log = new File(basedir, 'build.log').text
assert log.contains('[INFO] Skipping migration-safety:connect (migration-safety.skip=true)')
assert !new File(basedir, 'target/migration-safety').exists()
