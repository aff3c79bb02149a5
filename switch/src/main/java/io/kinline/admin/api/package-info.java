/**
 * The admin API's endpoints: facilities, inmates, accounts, numbers, blocks, calls, audit, tokens,
 * health and metrics; input checks and JSON views.
 */
package io.kinline.admin.api;
