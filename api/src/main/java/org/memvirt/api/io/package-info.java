/**
 * How memvirt and its plugins write files: whole, never half, and never through a link
 * ({@link org.memvirt.api.io.WholeFile}).
 */
package org.memvirt.api.io;
