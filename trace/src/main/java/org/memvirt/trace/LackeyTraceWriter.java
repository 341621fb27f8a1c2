package org.memvirt.trace;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;

/** Writes records as lackey text, so a binary trace can be read by lackey's other tools. */
public final class LackeyTraceWriter implements TraceWriter {
  private final BufferedWriter out;

  public LackeyTraceWriter(OutputStream out) {
    this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.ISO_8859_1), 1 << 16);
  }

  @Override
  public void write(TraceRecords records, int count) throws IOException {
    for (int i = 0; i < count; i++) {
      byte kind = records.kinds[i];
      out.write(kind == TraceKind.FETCH ? "I  " : " " + TraceKind.letter(kind) + " ");
      String hex = Long.toHexString(records.addresses[i]);
      for (int pad = hex.length(); pad < 8; pad++) {
        out.write('0');
      }
      out.write(hex);
      out.write(',');
      out.write(Integer.toString(records.sizes[i]));
      out.write('\n');
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
