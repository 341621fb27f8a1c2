/** Views of host memory and of each VM's physical-to-machine (P2M) map. */
package org.memvirt.api.memory;
