package org.memvirt.api.reclaim;

/**
 * How low one reclamation technique alone can keep a VM when the VM has a limit
 * ({@code max}): the lowest limit in pages it can hold the VM within, and why it cannot hold
 * it lower (null when it reaches the VM's reservation, below which no technique takes
 * pages). See {@link Reclaimer#limitReach}.
 */
public record LimitReach(long pages, String why) {}
