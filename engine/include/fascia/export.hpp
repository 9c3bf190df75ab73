#pragma once
// Symbol visibility for the fascia library. The library is built with
// -fvisibility=hidden; only declarations marked FASCIA_API are exported.
#if defined(FASCIA_STATIC_DEFINE)
#define FASCIA_API
#elif defined(_WIN32)
#if defined(FASCIA_BUILDING_LIBRARY)
#define FASCIA_API __declspec(dllexport)
#else
#define FASCIA_API __declspec(dllimport)
#endif
#else
#define FASCIA_API __attribute__((visibility("default")))
#endif
