/**
 * Real-browser test equipment: {@link io.kinline.tests.browser.Chromium} drives Debian's {@code chromium}
 * through {@code /usr/bin/chromedriver} with Selenium (headless, no network beyond loopback, fake media
 * devices, a fresh profile each time); {@link io.kinline.tests.browser.BrowserAssume} skips a test where
 * Chromium is missing, except under {@code CI=true} where a missing browser is a failure.
 */
package io.kinline.tests.browser;
