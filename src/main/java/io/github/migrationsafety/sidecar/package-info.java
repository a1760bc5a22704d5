/** Model sidecar checks (feature-list checksums, artifact signatures) and signing. Maven-free. */
package io.github.migrationsafety.sidecar;
