/* Evaluates a client state with a protocol through the C API, then shows an
 * invalid state coming back as an error code with located messages.
 *   fascia_embed_c [PROTOCOL [STATE]]
 */
#include <fascia/fascia.h>

#include <stdio.h>
#include <stdlib.h>

/* The whole file as a NUL-terminated string, or NULL. */
static char* read_file(const char* path) {
  FILE* f = fopen(path, "rb");
  char* text = NULL;
  long size;
  if (!f) return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
      (text = malloc((size_t)size + 1)) != NULL) {
    size_t got = fread(text, 1, (size_t)size, f);
    text[got] = '\0';
  }
  fclose(f);
  return text;
}

static int report(const char* what, fascia_status status, fascia_error* error) {
  fprintf(stderr, "%s failed (status %d):\n%s\n", what, (int)status, fascia_error_message(error));
  fascia_error_free(error);
  return 1;
}

int main(int argc, char** argv) {
  const char* protocol_path = argc > 1 ? argv[1] : FASCIA_PROTOCOL_DIR "/fibromyalgia.yaml";
  const char* state_path =
      argc > 2 ? argv[2] : FASCIA_PROTOCOL_DIR "/examples/fibromyalgia-client.json";
  fascia_engine* engine = NULL;
  fascia_protocol* protocol = NULL;
  fascia_error* error = NULL;
  fascia_status status;
  char* state = NULL;
  char* recommendation = NULL;
  int failed = 0;

  printf("fascia %s (C API %d)\n", fascia_version(), fascia_api_version());

  /* NULL options: the plugins installed beside libfascia, FASCIA_PLUGIN_PATH. */
  status = fascia_engine_new(NULL, &engine, &error);
  if (status != FASCIA_OK) return report("fascia_engine_new", status, error);

  status = fascia_protocol_load(engine, protocol_path, &protocol, &error);
  if (status != FASCIA_OK) {
    fascia_engine_free(engine);
    return report("fascia_protocol_load", status, error);
  }
  printf("protocol %s %s\n", fascia_protocol_id(protocol), fascia_protocol_version(protocol));

  state = read_file(state_path);
  if (!state) {
    fprintf(stderr, "cannot read %s\n", state_path);
    failed = 1;
  } else {
    status = fascia_evaluate(protocol, state, 0, &recommendation, &error);
    if (status == FASCIA_OK) {
      printf("%s\n", recommendation);
      fascia_string_free(recommendation);
    } else {
      failed = report("fascia_evaluate", status, error);
    }
    free(state);
  }

  /* An invalid state: FASCIA_ERROR_INVALID_INPUT and every problem, located. */
  status = fascia_evaluate(protocol, "{\"client\": {\"id\": \"C-1\"}, \"pain\": {\"current\": 11}}",
                           0, &recommendation, &error);
  if (status != FASCIA_ERROR_INVALID_INPUT || recommendation != NULL) {
    failed = 1;
  } else {
    fprintf(stderr, "invalid state, as expected:\n%s\n", fascia_error_message(error));
  }
  fascia_error_free(error);

  /* The protocol stays valid after its engine is gone. */
  fascia_engine_free(engine);
  fascia_protocol_free(protocol);
  return failed;
}
