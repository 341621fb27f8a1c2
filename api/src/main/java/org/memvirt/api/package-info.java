/**
 * memvirt's service-provider interface: what a plugin implements (translation, reclamation,
 * allocation policy, workloads) and the views of the simulated machine it may use.
 *
 * <p>A plugin depends on this module only. The engine hands each plugin object a context
 * with the views it needs; a plugin never sees engine classes.
 */
package org.memvirt.api;
