/**
 * Running SIPp scenarios from tests.
 */
package io.kinline.tests.sipp;
