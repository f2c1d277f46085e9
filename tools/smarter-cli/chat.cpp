// The chat commands: one prompt, the session's configuration, and a conversation that keeps its
// session (the Go tool starts a new one per prompt).
#include <cctype>
#include <iostream>
#include <string>

#include <unistd.h>

#include <smarter/resources/chatbots.hpp>
#include <smarter/resources/resources.hpp>
#include <smarter/types/chatbots.hpp>

#include "commands.hpp"
#include "exit_status.hpp"
#include "output.hpp"

namespace smarter_cli {

namespace {

/// `line` without leading and trailing blanks (a CR from a CRLF pipe included).
std::string trimmed(std::string const& line) {
  std::size_t begin = 0;
  std::size_t end = line.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(line[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(line[end - 1]))) --end;
  return line.substr(begin, end - begin);
}

/// The prompt parameters for a session choice: a given key continues that session, -n starts a
/// new one, and neither continues the platform's current session for this machine.
smarter::PromptParams prompt_params(SessionArgs const& session) {
  smarter::PromptParams params;
  params.session_key = session.session_key;
  params.new_session = session.new_session;
  return params;
}

/// Starts (`fresh`) or resumes the chatbot's session without prompting, through the chat
/// configuration call, and returns its key with the number of prompts it already holds.
std::pair<std::optional<std::string>, std::size_t> open_session(smarter::resources::Chatbots const& chatbots,
                                                                std::string const& chatbot, bool fresh,
                                                                std::optional<std::string> const& key) {
  smarter::ChatConfigParams params;
  params.session_key = fresh ? std::nullopt : key;
  params.new_session = fresh;
  smarter::ChatConfig const config = chatbots.config(chatbot, params);
  std::size_t prompts = 0;
  for (auto const& message : config.history_messages()) prompts += message.role == "user" ? 1 : 0;
  return {config.session_key, prompts};
}

/// The first characters of a session key, enough to tell sessions apart on screen.
std::string short_key(std::optional<std::string> const& key) {
  if (!key) return "unknown";
  return key->size() > 8 ? key->substr(0, 8) + "\u2026" : *key;
}

/// Prints one reply of a conversation: the answer, or with -o one JSON line or YAML document
/// per reply, so a script can read replies one by one.
void print_reply(Context& ctx, smarter::PromptReply const& reply, bool terminal) {
  switch (ctx.settings().format) {
    case Format::json:
      ctx.out << reply.to_dict().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      break;
    case Format::yaml:
      ctx.out << "---\n";
      write_yaml(ctx.out, reply.to_dict());
      break;
    case Format::table:
    case Format::automatic:
      ctx.out << reply.answer << "\n";
      if (terminal) ctx.out << "\n";
      break;
  }
  ctx.out.flush();
}

}  // namespace

void run_chat_prompt(Context& ctx, SessionArgs const& session, std::string const& prompt) {
  smarter::PromptReply const reply = ctx.client().resources().chatbots().prompt(session.chatbot, prompt, prompt_params(session));
  if (ctx.settings().format == Format::automatic) {
    ctx.out << reply.answer << "\n";
  } else {
    ctx.print_document(reply.to_dict(), Format::json);
  }
}

void run_chat_config(Context& ctx, SessionArgs const& session) {
  smarter::ChatConfigParams params;
  params.session_key = session.session_key;
  params.new_session = session.new_session;
  ctx.print_document(ctx.client().resources().chatbots().config(session.chatbot, params).to_dict(), Format::json);
}

void run_chat(Context& ctx, SessionArgs const& session) {
  // Decorations (banner, "> ") go to stderr and only when a person types, so standard output
  // holds the answers alone and a pipe in gets answers out, one per line.
  bool const terminal = ::isatty(STDIN_FILENO) != 0;
  auto const chatbots = ctx.client().resources().chatbots();
  auto [key, earlier] = open_session(chatbots, session.chatbot, session.new_session, session.session_key);
  if (terminal) {
    ctx.err << "Chatting with " << session.chatbot << " (session " << short_key(key);
    if (earlier > 0) ctx.err << ", resumed after " << earlier << (earlier == 1 ? " prompt" : " prompts");
    ctx.err << "). /new starts a new session, /exit quits.\n";
  }

  std::string line;
  while (true) {
    if (terminal) ctx.err << "> " << std::flush;
    if (!std::getline(ctx.in, line)) {
      if (terminal) ctx.err << "\n";
      break;
    }
    std::string text = trimmed(line);
    if (text.empty()) continue;
    if (text == "/exit" || text == "/quit") break;
    if (text == "/new") {
      key = open_session(chatbots, session.chatbot, true, std::nullopt).first;
      if (terminal) ctx.err << "New session " << short_key(key) << ".\n";
      continue;
    }
    if (text.rfind("//", 0) == 0) {
      text.erase(0, 1);  // "//etc" sends "/etc"
    } else if (text[0] == '/') {
      ctx.err << "Unknown command " << text << ": /new starts a new session, /exit quits, // sends a leading /\n";
      continue;
    }

    smarter::PromptParams params;
    params.session_key = key;
    params.new_session = !key.has_value();
    try {
      smarter::PromptReply const reply = chatbots.prompt(session.chatbot, text, params);
      if (reply.session_key) key = reply.session_key;
      print_reply(ctx, reply, terminal);
    } catch (...) {
      // A script stops at the first failure with its exit status; a person may try again.
      if (!terminal) throw;
      report_error(ctx.settings().verbose);
    }
  }
}

}  // namespace smarter_cli
