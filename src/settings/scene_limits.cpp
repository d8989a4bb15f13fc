#include "settings/scene_limits.h"

#include <algorithm>
#include <vector>

namespace bnlab {
namespace {

// One pass over the text, tracking only what nests: open inline tables and arrays, and the
// segments of the key being read. Everything else (values, whitespace, syntax errors) is
// left to the parser.
class NestingScanner {
 public:
  explicit NestingScanner(std::string_view text) : text_(text) {}

  TomlNesting Run() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\n') {
        ++line_;
        ++pos_;
        // A newline ends a top-level key/value pair or table header; arrays span lines.
        if (open_.empty()) StartKey();
        continue;
      }
      if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
        continue;
      }
      if (c == '"' || c == '\'') {
        if (in_key_) KeySegment();
        SkipString(c);
        continue;
      }
      ++pos_;
      if (c == ' ' || c == '\t' || c == '\r') continue;
      if (in_key_) ReadKeyChar(c);
      else ReadValueChar(c);
    }
    return deepest_;
  }

 private:
  void Note(int depth) {
    if (depth > deepest_.depth) deepest_ = TomlNesting{depth, line_};
  }
  int Open() const { return static_cast<int>(open_.size()); }

  void StartKey() {
    in_key_ = true;
    in_header_ = false;
    key_segments_ = 0;
  }

  void KeySegment() {
    if (key_segments_ == 0) key_segments_ = 1;
    Note(Open() + key_segments_);
  }

  // Inside a key (or a [table.header]): dots add levels, '=' or ']' ends it.
  void ReadKeyChar(char c) {
    if (c == '[' && open_.empty() && key_segments_ == 0) {
      in_header_ = true;  // "[a.b]" or "[[a.b]]": the second '[' lands here too
      return;
    }
    if (c == '.') {
      ++key_segments_;
      Note(Open() + key_segments_);
      return;
    }
    if (c == '=' || (c == ']' && in_header_)) {
      in_key_ = false;
      in_header_ = false;
      key_segments_ = 0;
      return;
    }
    if (c == '}' && !open_.empty() && open_.back() == '{') {  // "{}" or a trailing "}"
      open_.pop_back();
      in_key_ = false;
      return;
    }
    KeySegment();
  }

  void ReadValueChar(char c) {
    if (c == '[' || c == '{') {
      open_.push_back(c);
      Note(Open());
      if (c == '{') StartKey();
    } else if ((c == ']' || c == '}') && !open_.empty()) {
      if (open_.back() == (c == ']' ? '[' : '{')) open_.pop_back();
    } else if (c == ',' && !open_.empty() && open_.back() == '{') {
      StartKey();
    }
  }

  bool ThreeQuotes(char quote) const {
    return pos_ + 3 <= text_.size() && text_[pos_] == quote && text_[pos_ + 1] == quote && text_[pos_ + 2] == quote;
  }

  // From an opening quote to past the closing one. Single-line strings also stop at a
  // newline (left for Run to count), so a stray quote cannot hide the lines after it.
  void SkipString(char quote) {
    const bool basic = quote == '"';
    const bool multiline = ThreeQuotes(quote);
    pos_ += multiline ? 3 : 1;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\n') {
        if (!multiline) return;
        ++line_;
      } else if (basic && c == '\\') {
        ++pos_;  // the escaped character, whatever it is (a newline is counted below)
        if (pos_ < text_.size() && text_[pos_] == '\n') ++line_;
      } else if (c == quote) {
        if (!multiline) {
          ++pos_;
          return;
        }
        if (ThreeQuotes(quote)) {
          pos_ += 3;
          // Up to two more quotes belong to the content (""""" closes after a '"').
          for (int extra = 0; extra < 2 && pos_ < text_.size() && text_[pos_] == quote; ++extra) ++pos_;
          return;
        }
      }
      ++pos_;
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  std::vector<char> open_;  // '[' array, '{' inline table, innermost last
  bool in_key_ = true;
  bool in_header_ = false;
  int key_segments_ = 0;
  TomlNesting deepest_;
};

}  // namespace

TomlNesting MeasureTomlNesting(std::string_view text) { return NestingScanner(text).Run(); }

}  // namespace bnlab
