/**
 * The admin API at the top of the house: its server, roles and tokens, and the interfaces the call
 * layer implements for it (live calls, monitoring). Nothing below {@code call} imports it
 * (ArchitectureTest).
 */
package io.kinline.admin;
