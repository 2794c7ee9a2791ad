/**
 * Moving media bytes between files and the MediaStore service: the type guessed from a file's
 * extension, the flow-controlled upload stream, and download targets that never leave a partial
 * file under the requested name.
 */
package io.wagate.cli.transfer;
