/// The audit trail's actions and entity types in Chinese, as the audit page shows them (the codes
/// stay what the API and the database hold).
public enum AuditVocabulary {
    public static let actions: [String: String] = [
        "application.create": "登记申报事项", "application.event": "记录审评事件",
        "auth.session.create": "登录", "auth.session.revoke": "退出登录", "auth.token.create": "签发 API 令牌",
        "auth.token.revoke": "吊销 API 令牌", "auth.signin.failure": "登录失败",
        "calendar.year.write": "发布年度节假日安排", "census.declare": "填报普查", "census.import": "导入普查表", "census.upload": "上传普查表",
        "trial_registry.upload": "上传临床试验登记表",
        "demo.applications": "生成演示申报事项", "digest.write": "生成提醒摘要", "enterprise.create": "登记企业", "enterprise.update": "修改企业信息",
        "procedure.write": "修改审评程序", "product.create": "登记产品", "product.update": "修改产品信息", "seed.national": "生成全国规模演示数据",
        "seed.inspections": "生成检查规模测试数据",
        "settings.warnings": "修改预警设置", "user.create": "新建用户", "user.disable": "停用用户", "user.password.reset": "重置密码",
        "demo.trials": "生成演示临床试验", "settings.pi_load": "修改研究者承担项目预警阈值", "trial_institution.create": "登记临床试验机构", "investigator.create": "登记研究者",
        "trial.create": "登记临床试验", "trial.status": "变更试验状态", "trial.site.create": "增加试验中心", "trial.site.update": "修改试验中心",
        "trial_registry.import": "导入临床试验登记表", "investigator.merge": "合并重复登记的研究者", "investigator.merge.undo": "撤销研究者合并",
        "trial.warning.sweep": "生成临床试验预警", "trial.warning.assess": "评估临床试验预警",
        "inspector.create": "登记检查员", "inspector.update": "修改检查员信息", "inspector.import": "导入检查员库",
        "inspector.upload": "上传检查员库表", "demo.inspectors": "生成演示检查员库",
        "settings.inspection_policy": "修改检查计划规则", "settings.credit_policy": "修改信用计分规则", "inspection.plan.schedule": "生成年度检查计划",
        "demo.inspections": "生成演示检查记录",
        "inspection.create": "创建检查任务", "inspection.team": "组建检查组", "inspection.accept": "检查员确认任务",
        "inspection.decline": "检查员回避或谢绝", "inspection.notice": "发出检查通知", "inspection.visit": "开始现场检查",
        "inspection.finding": "记录检查发现", "inspection.conclude": "作出检查结论", "inspection.rectification": "提交整改情况",
        "inspection.verify": "核实整改情况", "inspection.raise": "检查发现升级", "inspection.close": "检查结案", "inspection.cancel": "取消检查任务",
        "inspection.waive": "减免生产许可现场检查",
        "key_supervision.propose": "提议列入重点监管名单", "key_supervision.decide": "决定重点监管名单事项", "key_supervision.removal_propose": "提议移出重点监管名单",
        "adverse_event.report": "报告不良事件", "adverse_event.follow_up": "补充不良事件报告", "adverse_event.assess": "评价不良事件报告",
        "udi.add": "登记产品标识（UDI-DI）", "demo.vigilance": "生成演示不良事件数据", "signal.add": "列入信号清单", "signal.status": "更新信号状态",
        "settings.signal_policy": "修改信号检测阈值", "udi.remove": "删除产品标识（UDI-DI）",
        "credit.record": "记录信用事件",
        "adverse_event.import": "导入国家监测系统不良事件报告", "event_term.create": "新增事件术语", "event_term.update": "修改事件术语",
        "adverse_event.upload": "上传国家监测系统导出表",
        "obligation.create": "设定附条件批准义务", "obligation.evidence": "提交附条件批准义务履行证据", "obligation.review": "审核附条件批准义务履行证据",
        "risk.item.create": "列入风险排查清单", "risk.item.status": "变更风险项状态", "risk.meeting": "记录风险会商", "risk.plan": "制定专项方案",
        "risk.periodic_report": "提交定期风险评价报告",
        "consultation.ask": "提出咨询", "consultation.request_info": "请企业补充说明", "consultation.reply": "企业补充说明或追问",
        "consultation.answer": "答复咨询", "consultation.transfer": "转办咨询", "consultation.rate": "评价咨询答复", "consultation.withdraw": "撤回咨询",
        "settings.service_policy": "修改咨询服务时限", "appointment.publish": "发布预约时段", "appointment.book": "预约咨询",
        "appointment.cancel": "取消预约", "appointment.attendance": "登记预约到场情况", "guidance.record": "记录一对一服务",
        "guidance.follow_up": "完成服务跟进事项", "key_variety.propose": "推荐在研重点品种", "key_variety.decide": "确认在研重点品种",
        "key_variety.plan": "制定重点品种服务计划", "key_variety.milestone": "完成服务计划节点", "demo.service": "生成演示企业服务数据",
        "library.draft": "编写常见问题或案例", "library.revise": "修改常见问题或案例", "library.publish": "审核发布常见问题或案例",
        "library.withdraw": "撤下常见问题或案例", "product.classification": "分类界定更新产品管理类别",
        "handbook.create": "登记政策手册条目", "handbook.revise": "修改政策手册条目", "handbook.repeal": "标记政策废止",
        "demo.handbook": "生成演示政策手册", "landing.create": "登记产业化落地项目", "landing.update": "更新产业化落地项目",
        "landing.problem": "反映落地问题", "landing.resolve": "解决落地问题", "landing.meeting": "记录落地会商",
        "delta.link.create": "登记跨省委托生产", "delta.link.file": "提交跨省委托生产备案", "demo.delta": "生成演示长三角协同数据",
        "delta.share.create": "与长三角省局共享检查结果", "delta.share.withdraw": "撤回共享的检查结果", "delta.commitment.record": "登记保密承诺",
        "delta.share.recognise": "伙伴省份互认本市检查结果", "delta.joint.plan": "商定长三角联合检查", "delta.joint.members": "填写联合检查的伙伴省份检查员",
        "delta.result.record": "报送伙伴省份检查结果", "delta.result.recognise": "互认伙伴省份检查结果", "delta.result.decline": "不予互认伙伴省份检查结果",
        "inspection.recognise": "以互认结果办结检查", "delta.notice.send": "向伙伴省份发出风险通报或协查请求", "delta.notice.answer": "答复风险通报或协查请求",
    ]

    public static let entityTypes: [String: String] = [
        "application": "申报事项", "calendar_year": "年度节假日安排", "census": "普查年度", "census_intention": "普查填报", "census_upload": "普查表文件",
        "trial_upload": "临床试验登记表文件", "inspector_upload": "检查员库表文件", "inspector_pool": "检查员库",
        "digest": "提醒摘要", "enterprise": "企业", "procedure_version": "审评程序版本", "product": "产品", "settings": "平台设置",
        "user": "用户", "session": "登录会话", "api_token": "API 令牌",
        "trial": "临床试验", "trial_institution": "临床试验机构", "investigator": "研究者", "trial_site": "试验中心",
        "trial_registry": "临床试验登记表", "trial_warning": "临床试验预警", "inspector": "检查员", "inspection_plan": "年度检查计划", "inspection": "检查",
        "key_supervision": "重点监管名单", "credit": "信用档案", "adverse_event": "不良事件报告", "signal": "信号",
        "adverse_event_import": "不良事件报告导入", "event_term": "事件术语", "sheet_upload": "上传的表格文件", "obligation": "附条件批准义务", "risk_item": "风险项",
        "risk_meeting": "风险会商",
        "special_plan": "专项方案", "periodic_risk_report": "定期风险评价报告", "consultation": "咨询", "appointment_slot": "预约时段", "appointment": "预约",
        "guidance": "一对一服务记录", "key_variety": "在研重点品种", "library_entry": "常见问题或案例",
        "handbook_policy": "政策手册条目", "landing_project": "产业化落地项目", "landing_problem": "落地问题", "landing_meeting": "落地会商",
        "delta_link": "跨省委托生产", "delta_share": "共享的检查结果", "delta_commitment": "保密承诺",
        "delta_joint": "联合检查", "delta_result": "伙伴省份检查结果", "delta_notice": "风险通报和协查请求",
    ]

    /// An action's label, or the code for one this list does not know.
    public static func action(_ code: String) -> String { actions[code] ?? code }

    /// An entity filter as a person types it (企业, or 企业:编号) in the codes the trail holds
    /// (enterprise, enterprise:编号); a code stays as it is.
    public static func entityFilter(_ text: String) -> String {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, let code = entityTypes.first(where: { $0.value == first })?.key else { return text }
        return ([code] + parts.dropFirst()).joined(separator: ":")
    }

    /// An entity type's label, or the code for one this list does not know.
    public static func entityType(_ code: String) -> String { entityTypes[code] ?? code }
}
