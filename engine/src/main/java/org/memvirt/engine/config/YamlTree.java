package org.memvirt.engine.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads YAML into a {@link ConfigNode} tree that keeps line numbers (Jackson's streaming parser). */
public final class YamlTree {
  private static final YAMLFactory FACTORY = new YAMLFactory();

  private YamlTree() {}

  public static ConfigNode read(Path file) {
    String origin = file.toString();
    if (!Files.isRegularFile(file)) {
      throw new ExperimentException(origin + ": no such experiment file");
    }
    try (Reader reader = Files.newBufferedReader(file)) {
      return read(reader, origin);
    } catch (NoSuchFileException e) {
      throw new ExperimentException(origin + ": no such experiment file");
    } catch (IOException e) {
      throw new ExperimentException(origin + ": cannot read: " + e.getMessage());
    }
  }

  public static ConfigNode read(InputStream in, String origin) {
    try (Reader reader = new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8)) {
      return read(reader, origin);
    } catch (IOException e) {
      throw new ExperimentException(origin + ": cannot read: " + e.getMessage());
    }
  }

  public static ConfigNode parse(String text, String origin) {
    return read(new StringReader(text), origin);
  }

  private static ConfigNode read(Reader reader, String origin) {
    try (JsonParser p = FACTORY.createParser(reader)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return ConfigNode.map(origin, 1);
      }
      ConfigNode root = node(p, origin);
      if (p.nextToken() != null) {
        throw new ExperimentException(origin + ":" + line(p) + ": expected one YAML document");
      }
      return root;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      String msg = e.getOriginalMessage().lines().findFirst().orElse("malformed YAML");
      throw new ExperimentException(origin + ":" + line + ": malformed YAML: " + msg);
    } catch (IOException e) {
      throw new ExperimentException(origin + ": cannot read: " + e.getMessage());
    }
  }

  private static int line(JsonParser p) {
    return p.currentTokenLocation().getLineNr();
  }

  private static ConfigNode node(JsonParser p, String origin) throws IOException {
    JsonToken t = p.currentToken();
    int line = line(p);
    switch (t) {
      case START_OBJECT: {
        ConfigNode map = ConfigNode.map(origin, line);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          int keyLine = line(p);
          if (map.entries().containsKey(key)) {
            throw new ExperimentException(origin + ":" + keyLine + ": duplicate key '" + key + "'");
          }
          p.nextToken();
          map.put(key, node(p, origin), keyLine);
        }
        return map;
      }
      case START_ARRAY: {
        ConfigNode list = ConfigNode.list(origin, line);
        while (p.nextToken() != JsonToken.END_ARRAY) {
          list.elements().add(node(p, origin));
        }
        return list;
      }
      case VALUE_NULL:
        return ConfigNode.scalar(origin, line, null);
      default:
        return ConfigNode.scalar(origin, line, p.getText());
    }
  }
}
