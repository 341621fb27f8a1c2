package org.memvirt.cli;

import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code report.html}: one self-contained page (styles inline, charts as data URIs) that
 * reads offline in any browser. It is also well-formed XML, so tests can parse it.
 */
final class HtmlReport {
  private final StringBuilder body = new StringBuilder();
  private final String title;

  HtmlReport(String title) {
    this.title = title;
  }

  HtmlReport heading(String text) {
    body.append("<h2>").append(escape(text)).append("</h2>\n");
    return this;
  }

  HtmlReport paragraph(String text, String cssClass) {
    body.append("<p").append(cssClass == null ? "" : " class=\"" + cssClass + "\"").append('>')
        .append(escape(text)).append("</p>\n");
    return this;
  }

  /** A table; the first row is the header; cells that look numeric are right-aligned. */
  HtmlReport table(List<List<String>> rows) {
    body.append("<table>\n");
    for (int r = 0; r < rows.size(); r++) {
      body.append("<tr>");
      for (String cell : rows.get(r)) {
        String tag = r == 0 ? "th" : "td";
        boolean numeric = r > 0 && cell.matches("-?[0-9][0-9,.]*( \\(-?[0-9][0-9,.]* MiB\\))?");
        body.append('<').append(tag).append(numeric ? " class=\"n\"" : "").append('>').append(escape(cell))
            .append("</").append(tag).append('>');
      }
      body.append("</tr>\n");
    }
    body.append("</table>\n");
    return this;
  }

  HtmlReport image(byte[] png, String alt) {
    body.append("<p><img alt=\"").append(escape(alt)).append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(png)).append("\"/></p>\n");
    return this;
  }

  HtmlReport preformatted(String text) {
    body.append("<pre>").append(escape(text)).append("</pre>\n");
    return this;
  }

  HtmlReport links(Map<String, String> hrefToText) {
    body.append("<ul>\n");
    hrefToText.forEach((href, text) -> body.append("<li><a href=\"").append(escape(href)).append("\">")
        .append(escape(text)).append("</a></li>\n"));
    body.append("</ul>\n");
    return this;
  }

  /**
   * Marks the body with how many charts the browser decoded ({@code data-charts="3/3"}), so
   * a headless browser's DOM dump shows that the page rendered (scripts/check-report).
   * Written without '<' or '&' so that the page stays well-formed XML.
   */
  private static final String SELF_CHECK = "<script>window.addEventListener('load', function () {"
      + " var imgs = document.images, ok = 0;"
      + " for (var i = 0; imgs[i]; i++) { if (imgs[i].complete) { if (imgs[i].naturalWidth > 0) { ok++; } } }"
      + " document.body.setAttribute('data-charts', ok + '/' + imgs.length); });</script>\n";

  String render() {
    return "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
        + "<meta charset=\"utf-8\"/>\n<title>" + escape(title) + "</title>\n<style>\n"
        + "body{font-family:sans-serif;margin:2em;color:#222}"
        + "table{border-collapse:collapse;font-size:0.9em}"
        + "th,td{border:1px solid #ccc;padding:0.2em 0.6em}th{background:#eee}"
        + "td.n{text-align:right;font-variant-numeric:tabular-nums}"
        + ".partial{background:#fff3cd;border:1px solid #e0b000;padding:0.5em}"
        + ".note{color:#555;font-size:0.9em;margin-top:-0.5em}"
        + "pre{background:#f6f6f6;padding:1em;overflow:auto}img{max-width:100%}\n"
        + "</style>\n" + SELF_CHECK + "</head>\n<body>\n<h1>" + escape(title) + "</h1>\n" + body + "</body>\n</html>\n";
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
