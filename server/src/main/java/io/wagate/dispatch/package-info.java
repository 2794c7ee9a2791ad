/** Workers that lease ready messages, call the Cloud API, classify outcomes, retry, expire and reconcile. */
package io.wagate.dispatch;
