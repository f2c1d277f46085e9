// Symbol visibility for the smarter library.
#pragma once

// SMARTER_API marks the public API. The shared library is built with hidden
// visibility, so only what carries this macro is exported.
#if defined(SMARTER_STATIC)
#define SMARTER_API
#elif defined(_WIN32)
#if defined(SMARTER_BUILDING)
#define SMARTER_API __declspec(dllexport)
#else
#define SMARTER_API __declspec(dllimport)
#endif
#else
#define SMARTER_API __attribute__((visibility("default")))
#endif
