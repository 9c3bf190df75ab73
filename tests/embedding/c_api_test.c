/* The C API driven from C (compiled as C99): handles, JSON in and out,
 * error codes and messages, per-call errors from many threads at once, and
 * the reloadable store. Exits non-zero after printing each failed check. */
#include <fascia/fascia.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROTOCOL FASCIA_SOURCE_DIR "/protocols/fibromyalgia.yaml"
#define STATE FASCIA_SOURCE_DIR "/protocols/examples/fibromyalgia-client.json"
#define THREADS 8
#define ROUNDS 50

static int failures = 0;

#define CHECK(condition)                                                            \
  do {                                                                              \
    if (!(condition)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
      ++failures;                                                                   \
    }                                                                               \
  } while (0)

static char* read_file(const char* path) {
  FILE* f = fopen(path, "rb");
  char* text;
  size_t size = 0, got;
  if (!f) return NULL;
  text = malloc(1 << 20);
  if (text) {
    while ((got = fread(text + size, 1, (1 << 20) - 1 - size, f)) > 0) size += got;
    text[size] = '\0';
  }
  fclose(f);
  return text;
}

static const fascia_protocol* shared_protocol;
static const char* shared_state;
static const char* reference;

/* Each thread evaluates good and bad states; its errors are its own. */
static void* evaluate_many(void* arg) {
  long bad = 0;
  int i;
  char invalid[128];
  (void)arg;
  for (i = 0; i < ROUNDS; ++i) {
    char* out = NULL;
    fascia_error* error = NULL;
    if (fascia_evaluate(shared_protocol, shared_state, 0, &out, &error) != FASCIA_OK ||
        error != NULL || strcmp(out, reference) != 0)
      ++bad;
    fascia_string_free(out);
    snprintf(invalid, sizeof invalid, "{\"pressure_tolerance\": %d}", 20 + i);
    if (fascia_evaluate(shared_protocol, invalid, 0, &out, &error) != FASCIA_ERROR_INVALID_INPUT ||
        out != NULL || error == NULL)
      ++bad;
    else {
      char expected[32];
      snprintf(expected, sizeof expected, "got %d", 20 + i);
      if (!strstr(fascia_error_message(error), expected)) ++bad;
    }
    fascia_error_free(error);
  }
  return (void*)bad;
}

int main(void) {
  fascia_engine* engine = NULL;
  fascia_protocol* protocol = NULL;
  fascia_error* error = NULL;
  fascia_store* store = NULL;
  char* out = NULL;
  char* state = read_file(STATE);
  pthread_t threads[THREADS];
  int t, changed = -1;

  CHECK(state != NULL);
  CHECK(strcmp(fascia_version(), "0.1.0") == 0 || strlen(fascia_version()) > 0);
  CHECK(fascia_api_version() == FASCIA_C_API_VERSION);

  /* Options are checked. */
  CHECK(fascia_engine_new("{\"plugin_dirz\": []}", &engine, &error) == FASCIA_ERROR_ARGUMENT);
  CHECK(engine == NULL && error != NULL);
  CHECK(fascia_error_code(error) == FASCIA_ERROR_ARGUMENT);
  CHECK(strstr(fascia_error_message(error), "unknown option 'plugin_dirz'") != NULL);
  CHECK(strstr(fascia_error_json(error), "\"status\":\"argument\"") != NULL);
  fascia_error_free(error);
  CHECK(fascia_engine_new("not json", &engine, NULL) == FASCIA_ERROR_ARGUMENT);

  CHECK(fascia_engine_new("{\"use_environment\": false}", &engine, &error) == FASCIA_OK);
  CHECK(engine != NULL && error == NULL);
  CHECK(fascia_engine_plugins_json(engine, &out, &error) == FASCIA_OK);
  CHECK(out && strstr(out, "\"name\":\"swedish\"") != NULL);
  fascia_string_free(out);

  /* Loading: a missing file is an I/O error, a broken one invalid input. */
  CHECK(fascia_protocol_load(engine, "/nonexistent/p.yaml", &protocol, &error) == FASCIA_ERROR_IO);
  CHECK(protocol == NULL && strstr(fascia_error_message(error), "/nonexistent/p.yaml") != NULL);
  fascia_error_free(error);
  CHECK(fascia_protocol_parse(engine, "format: 1\nprotocol: {id: x}\n", "broken.yaml", &protocol,
                              &error) == FASCIA_ERROR_INVALID_INPUT);
  CHECK(strstr(fascia_error_message(error), "broken.yaml:") != NULL);
  CHECK(strstr(fascia_error_json(error), "\"file\":\"broken.yaml\"") != NULL);
  fascia_error_free(error);

  CHECK(fascia_protocol_load(engine, PROTOCOL, &protocol, &error) == FASCIA_OK);
  CHECK(strcmp(fascia_protocol_id(protocol), "fibromyalgia") == 0);
  CHECK(strcmp(fascia_protocol_version(protocol), "1.0.0") == 0);
  CHECK(strlen(fascia_protocol_sha256(protocol)) == 64);

  /* NULL arguments are errors, not crashes. */
  CHECK(fascia_evaluate(NULL, state, 0, &out, &error) == FASCIA_ERROR_ARGUMENT);
  fascia_error_free(error);
  CHECK(fascia_evaluate(protocol, NULL, 0, &out, NULL) == FASCIA_ERROR_ARGUMENT);
  CHECK(fascia_evaluate(protocol, state, 0, NULL, NULL) == FASCIA_ERROR_ARGUMENT);
  fascia_engine_free(NULL);
  fascia_protocol_free(NULL);
  fascia_store_free(NULL);
  fascia_error_free(NULL);
  fascia_string_free(NULL);

  /* Evaluate: JSON in, the contract's JSON out; --explain adds the trace. */
  CHECK(fascia_evaluate(protocol, state, 0, &out, &error) == FASCIA_OK);
  CHECK(out && strncmp(out, "{\"format\":1,", 12) == 0 && strstr(out, "\"trace\"") == NULL);
  reference = out;
  CHECK(fascia_evaluate(protocol, state, FASCIA_EXPLAIN, &out, &error) == FASCIA_OK);
  CHECK(out && strstr(out, "\"trace\"") != NULL);
  fascia_string_free(out);

  /* Many threads, one protocol, one engine freed meanwhile. */
  shared_protocol = protocol;
  shared_state = state;
  fascia_engine_free(engine);
  for (t = 0; t < THREADS; ++t) CHECK(pthread_create(&threads[t], NULL, evaluate_many, NULL) == 0);
  for (t = 0; t < THREADS; ++t) {
    void* bad = NULL;
    pthread_join(threads[t], &bad);
    CHECK(bad == NULL);
  }

  /* The store: open, evaluate, reload, current. */
  CHECK(fascia_store_open(PROTOCOL, "{\"use_environment\": false}", &store, &error) == FASCIA_OK);
  CHECK(fascia_store_evaluate(store, state, 0, &out, &error) == FASCIA_OK);
  CHECK(out && strcmp(out, reference) == 0);
  fascia_string_free(out);
  CHECK(fascia_store_reload(store, 0, &changed, &error) == FASCIA_OK && changed == 0);
  CHECK(fascia_store_reload(store, 1, &changed, &error) == FASCIA_OK && changed == 1);
  CHECK(fascia_store_reload_if_changed(store, &changed, &error) == FASCIA_OK && changed == 0);
  fascia_protocol_free(protocol);
  CHECK(fascia_store_current(store, &protocol, &error) == FASCIA_OK);
  CHECK(strcmp(fascia_protocol_id(protocol), "fibromyalgia") == 0);
  fascia_store_free(store);
  CHECK(fascia_evaluate(protocol, state, 0, &out, &error) == FASCIA_OK);
  fascia_string_free(out);
  CHECK(fascia_store_open("/nonexistent.yaml", NULL, &store, &error) == FASCIA_ERROR_IO);
  CHECK(store == NULL);
  fascia_error_free(error);

  fascia_protocol_free(protocol);
  fascia_string_free((char*)reference);
  free(state);
  if (failures)
    fprintf(stderr, "%d check(s) failed\n", failures);
  else
    printf("C API: all checks passed\n");
  return failures ? 1 : 0;
}
