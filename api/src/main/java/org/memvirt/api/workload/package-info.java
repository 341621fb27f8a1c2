/** Workloads: streams of memory accesses that guest processes issue. */
package org.memvirt.api.workload;
